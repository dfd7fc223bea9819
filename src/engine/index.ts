export { Simulation, SimEvent } from "./simulation.js";
export type { EventHandler } from "./simulation.js";
