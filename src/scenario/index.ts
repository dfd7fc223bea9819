export * from "./types.js";
export { ScenarioError } from "./errors.js";
export { scenarioSchema, allowedFromIssue } from "./schema.js";
export { formatIssues } from "./issues.js";
export { loadScenario, parseScenario, validateScenario, applySet, parseSetPath, type LoadOptions } from "./load.js";
export { toPlainJSON, scenarioFromJSON, scenarioJSONReplacer } from "./json.js";
