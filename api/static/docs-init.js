// Starts Swagger UI for /docs from the locally served bundle (no inline script, no CDN).
"use strict";
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
