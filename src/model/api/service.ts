/**
 * A Service: a stable name that selects pods by labels. A pod is selected when every key-value of
 * the selector is among its labels (equality-based selector, as `spec.selector` on a Service).
 */
import type { ServiceSpec } from "../../scenario/types.js";
import type { Pod } from "../node/kubelet/pod.js";
import { matchesLabels } from "./label-selector.js";

export class Service {
  constructor(
    readonly index: number,
    readonly spec: ServiceSpec,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  selects(pod: Pod): boolean {
    return this.selectsLabels(pod.labels);
  }

  /** Whether pods with these labels would be selected. */
  selectsLabels(labels: Readonly<Record<string, string>>): boolean {
    return matchesLabels(this.spec.selector, labels);
  }
}
