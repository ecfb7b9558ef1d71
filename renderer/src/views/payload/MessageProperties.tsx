import type { Destination } from '../../../../shared/config/destination';
import type { Column } from '../../../../shared/config/source';
import { uiKind } from '../../destinations/kinds/registry';
import type { MessageProps } from './message-props';

/** Message properties, as the destination's kind sets them (Kinesis partition key, Kafka topic and key, Firehose routes: each in its kind's folder). */
export function MessageProperties({
  destination,
  columns,
  value,
  onChange,
}: {
  destination: Destination | undefined;
  columns: Column[];
  value: MessageProps;
  onChange: (v: MessageProps) => void;
}) {
  if (!destination) return null;
  const kind = uiKind(destination.kind);
  return (
    <section className="message-properties" aria-label="Message properties">
      <h3>Message properties</h3>
      <kind.MessageProperties destination={destination} columns={columns} value={value} onChange={onChange} />
    </section>
  );
}
