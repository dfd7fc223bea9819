export {
  mm1,
  mm1ResponseQuantile,
  erlangB,
  erlangC,
  mmc,
  mmcK,
  mm1KBlocking,
  ballsIntoBinsCv,
  ballsIntoBinsExpectedMax,
  chiSquareUniform,
  chiSquareQuantile,
} from "./theory.js";
export type { QueueMetrics, MmcMetrics, MmcKMetrics } from "./theory.js";
export { maxOverMean, coefficientOfVariation, jainIndex } from "./skew.js";
export { LatencyHistogram } from "./histogram.js";
export type { LatencyHistogramOptions } from "./histogram.js";
export {
  normalQuantile,
  regularizedIncompleteBeta,
  studentTQuantile,
  meanConfidenceInterval,
  sampleMeanTolerance,
} from "./summary.js";
export type { MeanInterval } from "./summary.js";
