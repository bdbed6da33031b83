/** The part of the `smpp` package (node-smpp 0.5, no published types) that Vosul uses. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  type Callback = (pdu: PDU) => void;

  export class Session extends EventEmitter {
    socket: Socket;
    send(pdu: PDU, responseCallback?: Callback, sendCallback?: Callback): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    bind_transceiver(options: Record<string, unknown>, callback?: Callback): boolean;
    submit_sm(options: Record<string, unknown>, callback?: Callback, sent?: Callback): boolean;
    deliver_sm(options: Record<string, unknown>, callback?: Callback): boolean;
    enquire_link(options?: Record<string, unknown> | Callback, callback?: Callback): boolean;
    unbind(options?: Record<string, unknown> | Callback, callback?: Callback): boolean;
  }

  export class Server extends EventEmitter {
    listen(port: number, host?: string, callback?: () => void): this;
    close(callback?: () => void): this;
    address(): import('node:net').AddressInfo | string | null;
  }

  export function connect(
    options: { host: string; port: number; [k: string]: unknown },
    listener?: () => void,
  ): Session;
  export function createServer(
    options: Record<string, unknown>,
    listener: (session: Session) => void,
  ): Server;
  export function createServer(listener: (session: Session) => void): Server;

  export const ESME_ROK: number;
  export const ESME_RSYSERR: number;
  export const ESME_RINVSRCADR: number;
  export const ESME_RINVDSTADR: number;
  export const ESME_RINVBNDSTS: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RINVPASWD: number;
  export const ESME_RINVSYSID: number;
  export const ESME_RMSGQFUL: number;
  export const ESME_RSUBMITFAIL: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RX_T_APPN: number;
}
