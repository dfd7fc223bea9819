/**
 * One HTTP probe the kubelet sends to the app (prober.go: an HTTP GET with timeoutSeconds as the
 * client's timeout). To the app it is a request like any other: it waits for a worker in the same
 * queue, and a full queue answers 503. The kubelet takes no answer within the timeout as a failure;
 * the app, which does not know, still serves it when its turn comes.
 */
import type { SimEvent } from "../../../../engine/index.js";

/** Where a probe's answer goes (the worker that sent it). */
export interface ProbeSender {
  /** The app answered `probe`: `healthy` unless it answered with an error status. */
  answered(probe: ProbeRequest, healthy: boolean): void;
}

export class ProbeRequest {
  /** Set once the kubelet has its result; the app may still hold it and serves it all the same. */
  ended = false;
  timeoutEvent: SimEvent | null = null;

  constructor(
    readonly sender: ProbeSender,
    /** The app's work to answer it once a worker takes it, seconds. */
    readonly serviceTime: number,
    /** A readiness probe: the app answers it with an error while a readiness failure is under way. */
    readonly readiness: boolean,
  ) {}
}
