/**
 * The client kernel's TCP limit on an established connection, which ends a request when nothing
 * answers and the client set no timeout of its own (Linux: net.ipv4.tcp_retries2 = 15). A new
 * connection's limit, the SYN retries (tcp_syn_retries = 6: 127 s), is the workload's
 * `connectTimeout`, since clients often set their own.
 */

/** An established connection gives up after the data retransmissions: about 924.6 s. */
export const RETRANSMIT_TIMEOUT = 924.6;
