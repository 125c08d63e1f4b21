// Starts Swagger UI on the API's OpenAPI document (no inline script: our CSP forbids it).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: true,
    // Read-only API: "Try it out" sends GET requests only.
    supportedSubmitMethods: ["get", "head"],
    validatorUrl: null,
  });
})();
