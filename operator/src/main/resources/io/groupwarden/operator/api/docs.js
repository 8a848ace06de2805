// Swagger UI over the operator's own OpenAPI document; "Authorize" takes the bearer token.
"use strict";
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
});
