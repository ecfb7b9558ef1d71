import { createFormat } from '../../shared/format/format';

/**
 * Numbers as the CLI writes them: in en-US (1,000,000), whatever the machine's locale, as its text is
 * English and its other counts are written so ("1.000" in German reads as one).
 */
export const fmt = createFormat({ locale: 'en-US' });
