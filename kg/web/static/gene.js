// The gene page's ego network: the gene, its top co-mentioned genes, and the figures each
// pair shares (edge width), drawn by cytoscape.js from /gene/<id>/network.json.
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box || typeof cytoscape !== "function") { return; }
  fetch(box.dataset.url, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("network: HTTP " + response.status); }
      return response.json();
    })
    .then(function (network) {
      var cy = cytoscape({
        container: box,
        elements: network.elements,
        layout: { name: "concentric", concentric: function (n) { return n.data("focus") ? 2 : 1; },
                  levelWidth: function () { return 1; }, animate: false },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 11, "background-color": "#6a8fc1",
                                       width: 18, height: 18, color: "#1d2433" } },
          { selector: "node[?focus]", style: { "background-color": "#d9822b", width: 30, height: 30, "font-weight": "bold" } },
          { selector: "edge", style: { width: "data(width)", "line-color": "#b8c4d6", opacity: 0.8 } }
        ]
      });
      cy.on("tap", "node", function (event) { window.location.href = event.target.data("href"); });
      box.dataset.drawn = String(cy.nodes().length);
    })
    .catch(function (error) { box.textContent = "The network could not be drawn: " + error.message; });
}());
