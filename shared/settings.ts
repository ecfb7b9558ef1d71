import { z } from 'zod';

/** User-editable application settings. Stored as one JSON value per key in SQLite. */
export const ThemeSchema = z.enum(['system', 'light', 'dark']);

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  debuggerRetentionDays: z
    .number({ error: 'Debugger retention must be a number of days' })
    .int('Debugger retention must be a whole number of days')
    .min(1, 'Debugger retention must be at least 1 day')
    .max(3650, 'Debugger retention can be at most 3650 days (10 years)'),
  /** A desktop notification when a run fails or sends only part of its records (`shared/config/run-alert.ts`). */
  runAlerts: z.boolean({ error: 'Run alerts are on (true) or off (false)' }),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type Theme = z.infer<typeof ThemeSchema>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  debuggerRetentionDays: 30,
  runAlerts: true,
};
