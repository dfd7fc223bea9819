/**
 * What a client gets when it opens a connection to a pod's IP, or sends a request on a connection
 * already open: the codes the pod answers with and the workload turns into outcomes.
 */

/** The pod now holds the request. */
export const ACCEPTED = 0;
/** Nothing listens on the port (the app is not up, or has stopped accepting): a TCP RST. */
export const REFUSED = 1;
/** The app's workers and queue are full: it answers 503 at once. */
export const OVERLOADED = 2;
/** The pod's node is down: nothing answers (a new connection waits for its connect timeout). */
export const UNREACHABLE = 3;
/** The keep-alive connection the request was sent on had been closed by the pod. */
export const CLOSED = 4;
/** The pod has exited and its IP is released: the SYN goes to an address no pod holds (node/pod-network.ts). */
export const RELEASED = 5;
