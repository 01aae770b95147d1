/* The policy-kg SPARQL editor: YASGUI on this server's read-only endpoint, the named queries as examples, and
 * a bar chart of count results. Loaded after yasgui.min.js (window.Yasgui). Makes no request of its own. */
(function () {
  "use strict";
  var Yasgui = window.Yasgui;
  var root = document.getElementById("kg-yasgui");
  // An absolute URL on this page's origin (YASGUI parses the endpoint as a URL).
  var endpoint = new URL(root.getAttribute("data-endpoint") || "/sparql", window.location.href).href;
  var examples = JSON.parse(document.getElementById("kg-examples-data").textContent);
  var byName = {};
  examples.forEach(function (item) { byName[item.name] = item; });

  // -- a bar chart of counts: one label column and numeric columns ---------------------------------------------
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"].map(function (t) { return XSD + t; });
  var MAX_BARS = 200;

  function isNumber(term) {
    return !!term && (term.type === "literal" || term.type === "typed-literal") &&
      NUMERIC.indexOf(term.datatype) >= 0 && isFinite(Number(term.value));
  }

  function Chart(yasr) {
    this.yasr = yasr;
    this.priority = 5; // below the table (10): never chosen on its own
    this.label = "Chart";
    this.helpReference = undefined;
  }
  // The columns to draw: {label, values: [numeric columns]}, or null when the results are not counts.
  Chart.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || results.hasError() || results.getBoolean() !== undefined) return null;
    var vars = results.getVariables() || [], rows = results.getBindings() || [];
    if (!rows.length) return null;
    var numeric = vars.filter(function (v) { return rows.every(function (row) { return isNumber(row[v]); }); });
    var labels = vars.filter(function (v) { return numeric.indexOf(v) < 0; });
    if (labels.length !== 1 || numeric.length < 1) return null;
    return { label: labels[0], values: numeric };
  };
  Chart.prototype.canHandleResults = function () {
    try { return this.columns() !== null; } catch (e) { return false; }
  };
  Chart.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.className = "kg-chart-icon";
    icon.textContent = "▤";
    return icon;
  };
  Chart.prototype.draw = function () {
    var cols = this.columns(), self = this;
    var box = document.createElement("div");
    box.className = "kg-chart";
    if (!cols) {
      box.textContent = "No chart: the results are not one label column with numeric columns.";
      this.yasr.resultsEl.appendChild(box);
      return;
    }
    var rows = this.yasr.results.getBindings();
    var value = this.column && cols.values.indexOf(this.column) >= 0 ? this.column : cols.values[cols.values.length - 1];
    if (cols.values.length > 1) { // several counts (involvement-counts): choose which one the bars show
      var pick = document.createElement("select");
      pick.className = "kg-chart-column";
      cols.values.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        option.selected = v === value;
        pick.appendChild(option);
      });
      pick.addEventListener("change", function () {
        self.column = pick.value;
        self.yasr.resultsEl.textContent = "";
        self.draw();
      });
      var label = document.createElement("label");
      label.textContent = "Bars: ";
      label.appendChild(pick);
      box.appendChild(label);
    }
    var shown = rows.slice(0, MAX_BARS);
    var max = Math.max.apply(null, shown.map(function (row) { return Math.abs(Number(row[value].value)); }).concat([0]));
    var grid = document.createElement("div");
    grid.className = "kg-bars";
    grid.setAttribute("role", "list");
    shown.forEach(function (row) {
      var term = row[cols.label], n = Number(row[value].value);
      var name = document.createElement("div");
      name.className = "kg-bar-label";
      name.textContent = term ? term.value : ""; // untrusted text: never markup
      var track = document.createElement("div");
      track.className = "kg-bar-track";
      var bar = document.createElement("div");
      bar.className = "kg-bar";
      bar.style.width = (max > 0 ? (100 * Math.abs(n) / max) : 0).toFixed(2) + "%"; // CSSOM: no inline style
      track.appendChild(bar);
      var figure = document.createElement("div");
      figure.className = "kg-bar-value";
      figure.textContent = row[value].value;
      [name, track, figure].forEach(function (cell) { grid.appendChild(cell); });
    });
    box.appendChild(grid);
    if (rows.length > shown.length) {
      var more = document.createElement("p");
      more.textContent = "The first " + shown.length + " of " + rows.length + " rows.";
      box.appendChild(more);
    }
    this.yasr.resultsEl.appendChild(box);
  };
  Yasgui.Yasr.registerPlugin("chart", Chart);

  // The table in its simple view by default (labels as they read, not "…"@zh and "1"^^<…#integer>); the
  // "Simple view" box still turns it off, and the choice is kept per tab.
  var Table = Yasgui.Yasr.plugins.table;
  if (Table) {
    var SimpleTable = function (yasr) {
      var table = new Table(yasr);
      table.persistentConfig = { compact: true };
      return table;
    };
    SimpleTable.prototype = Table.prototype;
    Yasgui.Yasr.registerPlugin("table", SimpleTable);
  }
  Yasgui.Yasr.defaults.pluginOrder = ["table", "chart", "response"];

  // -- nothing fetched from elsewhere -----------------------------------------------------------------------------
  // The class and property autocompleters ask lov.linkeddata.es; the prefix one uses the list bundled with YASQE
  // as long as prefixCcApi is null; variables are read from the query. (Set on the defaults: YASGUI merges a
  // config's arrays index by index, so ["variables", "prefixes"] given there would keep the other two.)
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  Yasgui.Yasqe.defaults.createShortLink = undefined; // no URL shortener

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true, // a new tab asks the same endpoint as the tab open
    populateFromUrl: false, // a link cannot set the endpoint (or the query) without the user seeing it
    corsProxy: undefined, // no proxy, no CORS probe of an endpoint
    endpointInfo: undefined,
    // The endpoint field's suggestions: this server only (the default list names dbpedia and wikidata).
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "policy-kg-editor",
    tabName: "Query",
    yasqe: {
      value: "# Choose an example query above, or write your own; Ctrl+Enter (or the \u25b6 button) runs it.\n" +
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10\n",
      prefixCcApi: null,
      createShortLink: undefined,
    },
    yasr: { defaultPlugin: "table" },
  });

  // -- the examples -----------------------------------------------------------------------------------------------
  var select = document.getElementById("kg-examples");
  var description = document.getElementById("kg-description");
  select.addEventListener("change", function () {
    var item = byName[select.value];
    description.textContent = item ? item.description : "";
    if (!item) return;
    yasgui.addTab(true, { name: item.name, yasqe: { value: item.query }, requestConfig: { endpoint: endpoint } },
      { avoidDuplicateTabs: true });
  });
  window.kgEditor = yasgui; // for the tests and the curious
})();
