// The parts of kafkajs 2.2.4's internals that main/kafka/answers.ts hooks (not in its public types).

declare module 'kafkajs/src/network/connection' {
  interface KafkaResponseCodec {
    decode(payload: Buffer): Promise<unknown>;
    parse(data: unknown): Promise<unknown>;
  }
  interface KafkaProtocol {
    request: { apiKey: number; apiName: string; apiVersion: number };
    response?: KafkaResponseCodec;
    [option: string]: unknown;
  }
  interface Connection {
    host: string;
    port: number;
    ssl: unknown;
    sasl: unknown;
    send(protocol: KafkaProtocol): Promise<unknown>;
  }
  const Connection: { prototype: Connection };
  export = Connection;
}

declare module 'kafkajs/src/network/requestQueue/socketRequest' {
  interface SocketRequest {
    broker: string;
    clientId: string;
    correlationId: number;
    completed(response: { size: number; payload: Buffer | null }): void;
  }
  const SocketRequest: { prototype: SocketRequest };
  export = SocketRequest;
}

declare module 'kafkajs/src/protocol/error' {
  export const errorCodes: { type: string; code: number; message: string }[];
}
