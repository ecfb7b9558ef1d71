import { Time } from '../components/Time';

/** A record's time in the records table (empty when the stream gave none). */
export const recordTime = (iso: string | null) => (iso ? <Time iso={iso} ms /> : '');
