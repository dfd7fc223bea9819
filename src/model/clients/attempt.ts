/**
 * One attempt of a client request: the plain record that travels through kube-proxy to a pod.
 * A retry is a new attempt carrying the original arrival time, so every arrival ends exactly once
 * (on its last attempt) while each attempt can be reset, refused or timed out on its own.
 */
import type { SimEvent } from "../../engine/index.js";
import type { Balancer, CloseKind } from "../node/kube-proxy/balancer.js";
import type { Connection } from "./connection.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { Client } from "./client.js";
import type { Outcome } from "../../scenario/types.js";

export class Attempt {
  /** Set once this attempt has an outcome; a pod still holding it then just finishes the work. */
  ended = false;
  pod: Pod | null = null;
  /** The balancer that chose the pod, told when the connection closes (least-connections counts). */
  balancer: Balancer | null = null;
  /** Set when its connection was never established: CLOSE_REFUSED or CLOSE_UNANSWERED. */
  failedHow: CloseKind | null = null;
  /** The keep-alive connection carrying this attempt, if any. */
  connection: Connection | null = null;
  /** Position in the pod's in-service list, for O(1) removal. */
  slot = -1;
  doneEvent: SimEvent | null = null;
  /** Seconds its outcome takes to come back on top of the pod's work: the round trips to another zone. */
  transit = 0;
  /** An outcome on its way back from another zone (see transit). */
  arriving: Outcome = "ok";
  timeoutEvent: SimEvent | null = null;

  constructor(
    readonly client: Client,
    /** Arrival time of the original request, seconds. */
    readonly arrival: number,
    /** 0 for the first attempt. */
    readonly number: number,
    /** Whether the arrival falls in the measured window. */
    readonly measured: boolean,
    /** When this attempt was sent. */
    readonly sentAt: number,
  ) {}
}
