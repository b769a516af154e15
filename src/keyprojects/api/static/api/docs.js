/* The API documentation page: Swagger UI (django-ninja's bundle, served by the platform)
   configured from the JSON the page carries, so the page needs no inline script (CSP). */
(function () {
  "use strict";
  var carrier = document.getElementById("swagger-settings");
  if (!carrier || typeof window.SwaggerUIBundle === "undefined") {
    return;
  }
  var config = JSON.parse(carrier.textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  config.layout = "BaseLayout";
  window.SwaggerUIBundle(config);
})();
