export { RandomStream, RandomStreams } from "./streams.js";
export type { Uniform } from "./streams.js";
export { formatDuration, formatRate, parseDuration, parseRate } from "./units.js";
export { durationSchema, rateSchema } from "./unit-schemas.js";
export { distributionSchema, parseDistribution, type DistributionInput } from "./distribution-schema.js";
export {
  ConstantDistribution,
  EmpiricalDistribution,
  ErlangDistribution,
  ExponentialDistribution,
  GammaDistribution,
  LognormalDistribution,
  ParetoDistribution,
  TruncatedNormalDistribution,
  UniformDistribution,
  Z99,
  describeDistribution,
  makeDistribution,
  standardNormalCdf,
  standardNormalPdf,
  standardNormalQuantile,
} from "./distributions.js";
export type {
  ConstantSpec,
  Distribution,
  DistributionSpec,
  DistributionType,
  EmpiricalSpec,
  ErlangSpec,
  ExponentialSpec,
  GammaSpec,
  LognormalSpec,
  NormalSpec,
  ParetoSpec,
  UniformSpec,
} from "./distributions.js";
