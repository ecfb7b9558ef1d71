/** A Kafka connection's security settings as recorded with a call: what is on, never a secret. */
export interface KafkaSecurity {
  tls: boolean;
  /** A CA certificate of its own is set (not the system's). */
  ca: boolean;
  /** A client certificate is set (mTLS). */
  clientCert: boolean;
  /** The broker's certificate is checked. */
  verify: boolean;
  sasl: { mechanism: string; username?: string } | null;
}
