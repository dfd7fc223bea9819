/** A PodDisruptionBudget's status as pkg/controller/disruption works it out. */
import { describe, expect, it } from "vitest";
import { PodDisruptionBudget } from "../api/pod-disruption-budget.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { PodDisruptionBudgetSpec } from "../../scenario/types.js";
import { disruptionStatus, type DisruptionLookup } from "./disruption-controller.js";

const pod = (ready: boolean, terminating = false, owner = "web") => ({ ready, terminating, deployment: owner, labels: { app: "web" } }) as unknown as Pod;
const budget = (b: Partial<PodDisruptionBudgetSpec>) =>
  new PodDisruptionBudget({ name: "b", selector: { app: "web" }, unhealthyPodEvictionPolicy: "IfHealthyBudget", ...b });
const lookup = (pods: Pod[], replicas: Record<string, number | null>): DisruptionLookup => ({
  podsMatching: () => pods,
  scaleOf: (p) => (replicas[p.deployment] === null ? null : { controller: p.deployment, replicas: replicas[p.deployment]! }),
});

describe("disruptionStatus", () => {
  const five = [pod(true), pod(true), pod(true), pod(false), pod(true, true)];

  it("counts Ready pods not being deleted as healthy", () => {
    expect(disruptionStatus(budget({ minAvailable: 2 }), lookup(five, { web: 5 }))).toEqual({ expectedPods: 5, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
  });

  it("takes a percentage of minAvailable of the controllers' scale, rounded up", () => {
    // 50% of 5 replicas is 2.5: 3 must stay healthy, 3 are.
    expect(disruptionStatus(budget({ minAvailable: "50%" }), lookup(five, { web: 5 }))).toMatchObject({ expectedPods: 5, desiredHealthy: 3, disruptionsAllowed: 0 });
  });

  it("takes maxUnavailable off the scale, a percentage rounded up", () => {
    expect(disruptionStatus(budget({ maxUnavailable: 1 }), lookup(five, { web: 4 }))).toMatchObject({ expectedPods: 4, desiredHealthy: 3, disruptionsAllowed: 0 });
    // 30% of 10 replicas across two controllers (4 + 6) is 3: 7 must stay healthy.
    const two = [...five, pod(true, false, "api"), pod(true, false, "api"), pod(true, false, "api"), pod(true, false, "api"), pod(true, false, "api")];
    expect(disruptionStatus(budget({ maxUnavailable: "30%" }), lookup(two, { web: 4, api: 6 }))).toMatchObject({ expectedPods: 10, desiredHealthy: 7, currentHealthy: 8, disruptionsAllowed: 1 });
  });

  it("allows nothing when a controller has no scale (a DaemonSet with a percentage) or no pod is expected", () => {
    expect(disruptionStatus(budget({ maxUnavailable: 1 }), lookup(five, { web: null })).disruptionsAllowed).toBe(0);
    expect(disruptionStatus(budget({ minAvailable: 0 }), lookup([], {})).disruptionsAllowed).toBe(0);
  });
});
