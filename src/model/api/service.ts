/**
 * A Service: a stable name that selects pods by labels. A pod is selected when every key-value of
 * the selector is among its labels (equality-based selector, as `spec.selector` on a Service).
 */
import type { ServiceSpec } from "../../scenario/types.js";
import type { Pod } from "../node/kubelet/pod.js";

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
    const selector = this.spec.selector;
    for (const key in selector) if (labels[key] !== selector[key]) return false;
    return true;
  }
}
