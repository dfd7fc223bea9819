/**
 * The pod network as the CNI plugin programs it, seen from a client: what becomes of a SYN that a
 * stale kube-proxy rule DNATs to a pod IP no pod holds any more. The kubelet tears the sandbox
 * down as soon as the pod's containers have exited (killPodWithSyncResult: StopPodSandbox right
 * after the containers), and the CNI plugin removes the route to it. Then clients see timeouts or
 * "no route to host", not a reset (kubernetes#28674, #20521, #72270, #24092). Which one depends on
 * the plugin:
 * - Calico routes each node's IPAM block to a blackhole: the packet vanishes and the client's
 *   connect times out (projectcalico/calico#13570).
 * - Cilium drops it as "Stale or unroutable IP" (cilium/cilium#14437); GKE Dataplane V2 is Cilium.
 * - AWS VPC CNI keeps a released IP on the node's ENI for a 30 s cooldown
 *   (aws/amazon-vpc-cni-k8s#62) with no route to a veth: nothing answers (our reading; #391 reports
 *   timeouts towards IPs without a pod).
 * - Bridge-based plugins (flannel, the bridge plugin, kubenet) reach the pod CIDR through the
 *   node's bridge: ARP for the address fails after 3 probes 1 s apart (Linux mcast_solicit 3,
 *   retrans_time 1 s) and the node answers ICMP host-unreachable, which aborts the client's connect.
 * Most of the common CNIs give no answer, so that is the default.
 */
import { makeDistribution, type Distribution } from "../../random/distributions.js";
import type { RandomStream } from "../../random/index.js";
import type { NetworkSpec } from "../../scenario/types.js";

export class PodNetwork {
  private readonly icmp: Distribution | null;
  /** One-way latency between a client and a pod: how long a server's FIN takes to reach the client. */
  readonly latency: number;

  constructor(spec: NetworkSpec) {
    this.icmp = spec.releasedPodIP === "host-unreachable" ? makeDistribution(spec.hostUnreachableAfter) : null;
    this.latency = spec.latency;
  }

  /**
   * Seconds from a SYN sent to a released pod IP until an ICMP host-unreachable reaches the
   * client; Infinity when the network drops it silently (only the connect timeout ends the wait).
   */
  releasedIpAnswer(rng: RandomStream): number {
    return this.icmp === null ? Infinity : this.icmp.sample(rng);
  }
}
