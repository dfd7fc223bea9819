/**
 * kube-proxy's health servers: /healthz fails on an ineligible node (KEP-3836) or when a change has
 * waited 60 s to be written; the service health check wants a local Ready endpoint and a healthy
 * proxier, whatever the node's eligibility.
 */
import { describe, expect, it } from "vitest";
import { HEALTH_TIMEOUT, ProxierHealthServer } from "./healthcheck.js";

describe("kube-proxy's health servers", () => {
  it("/healthz: 200 while synced or a queued change is younger than 2 x syncPeriod, 503 after, 200 again once written", () => {
    const h = new ProxierHealthServer();
    expect(h.healthz(0)).toBe(true);
    h.queuedUpdate(10);
    h.queuedUpdate(30); // the oldest pending change counts
    expect(h.healthz(10 + HEALTH_TIMEOUT - 0.001)).toBe(true);
    expect(h.healthz(10 + HEALTH_TIMEOUT)).toBe(false);
    h.updated();
    expect(h.healthz(100)).toBe(true);
  });

  it("/healthz fails on a node being deleted or tainted ToBeDeletedByClusterAutoscaler; the service check does not care", () => {
    const h = new ProxierHealthServer();
    h.nodeEligible = false;
    expect(h.healthz(0)).toBe(false);
    expect(h.serviceHealthz(1, 0)).toBe(true);
    expect(h.serviceHealthz(0, 0)).toBe(false);
    h.queuedUpdate(0);
    expect(h.serviceHealthz(1, HEALTH_TIMEOUT)).toBe(false);
  });
});
