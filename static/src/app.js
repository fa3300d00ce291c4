// Scrutiny front-end entry point (an ES module; no inline scripts anywhere, for the CSP).
// Browsers that run modules get the GOV.UK Frontend enhancements; others get plain HTML.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
