export { NO_EVENT, Simulation, SimEvent } from "./simulation.js";
export type { EventHandler, EventId } from "./simulation.js";
