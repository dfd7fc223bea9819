/**
 * The client connections a server process holds open, so that a draining server can close them
 * gracefully: Go's `Server.Shutdown` closes the idle ones at once and each busy one after its
 * response ("Connection: close"); an HTTP/2 or gRPC server sends GOAWAY, after which clients open
 * new connections for new requests (RFC 9113 section 6.8). Clients reconnect without an error;
 * only a request that crosses an HTTP/1.1 FIN on the wire fails. Source: net/http server.go.
 */
import type { Connection } from "../clients/connection.js";

export class OpenConnections {
  private list: Connection[] = [];

  get size(): number {
    return this.list.length;
  }

  add(conn: Connection): void {
    conn.server = this;
    conn.serverSlot = this.list.length;
    this.list.push(conn);
  }

  /** O(1): the last entry takes the removed one's slot. */
  remove(conn: Connection): void {
    const list = this.list;
    const last = list.pop()!;
    if (last !== conn) {
      list[conn.serverSlot] = last;
      last.serverSlot = conn.serverSlot;
    }
    conn.server = null;
    conn.serverSlot = -1;
  }

  /**
   * The server drains: every connection to its current process closes, idle ones now, busy ones
   * once their requests are answered. Connections to an earlier, crashed process are forgotten.
   */
  closeAll(now: number, container: number): void {
    const list = this.list;
    this.list = [];
    for (const conn of list) {
      conn.server = null;
      conn.serverSlot = -1;
      if (conn.container === container) conn.closedByServer(now);
    }
  }
}
