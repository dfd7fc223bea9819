export { NO_EVENT, Simulation, SimEvent } from "./simulation.js";
export type { EventHandler, EventId, EventScheduler } from "./simulation.js";
export { LocalClock } from "./local-clock.js";
