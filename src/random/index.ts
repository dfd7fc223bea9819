export { RandomStream, RandomStreams } from "./streams.js";
export type { Uniform } from "./streams.js";
export { durationSchema, formatDuration, formatRate, parseDuration, parseRate, rateSchema } from "./units.js";
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
  distributionSchema,
  makeDistribution,
  parseDistribution,
  standardNormalCdf,
  standardNormalPdf,
  standardNormalQuantile,
} from "./distributions.js";
export type {
  ConstantSpec,
  Distribution,
  DistributionInput,
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
