/**
 * The client kernel's TCP limits, which end a request when nothing answers and the client set no
 * timeout of its own (Linux defaults: net.ipv4.tcp_syn_retries = 6, tcp_retries2 = 15).
 */

/** A new connection gives up after the SYN retries: about 127 s. */
export const SYN_TIMEOUT = 127;
/** An established connection gives up after the data retransmissions: about 924.6 s. */
export const RETRANSMIT_TIMEOUT = 924.6;
