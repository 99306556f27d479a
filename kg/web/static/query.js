// The query page: YASGUI on this server's /sparql, offline (no autocompletion that asks
// services on the Internet), with the named queries a click away.
(function () {
  "use strict";
  var named = JSON.parse(document.getElementById("named-queries").textContent);
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "GET" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["prefixes", "variables"], value: named.length ? named[0].text : "" },
    populateFromUrl: false
  });
  window.pfocrYasgui = yasgui;
  document.getElementById("load-named").addEventListener("click", function () {
    var chosen = document.getElementById("named").value;
    for (var i = 0; i < named.length; i += 1) {
      if (named[i].name === chosen) { yasgui.getTab().setQuery(named[i].text); }
    }
  });
}());
