import type { DryRunPlan } from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { TableScroll } from '../../../components/TableScroll';
import { PLAN_NOUN, planRejections } from '../run-format';

/** A dry run's plan: records per shard / partition / delivery stream, and what a real run would reject. */
export function DryRunPlanView({ plan }: { plan: DryRunPlan }) {
  const most = Math.max(1, ...plan.targets.map((t) => t.records));
  return (
    <section aria-label="Where the records would go">
      <h4>Where the records would go</h4>
      {plan.note && <p className="muted">{plan.note}</p>}
      {/* Said, not an empty section under its heading. */}
      {plan.targets.length === 0 && plan.roundRobin === 0 && plan.rejected.total === 0 && !plan.note && (
        <p className="muted" data-testid="dry-run-nothing">
          Nowhere: no record would be sent.
        </p>
      )}
      {plan.targets.length > 0 && (
        <TableScroll label="Records per target">
          <table className="table" aria-label={`Records per ${PLAN_NOUN[plan.per].toLowerCase()}`}>
            <thead>
              <tr>
                <th>{PLAN_NOUN[plan.per]}</th>
                <th className="num">Records</th>
                <th aria-hidden="true" />
              </tr>
            </thead>
            <tbody>
              {plan.targets.map((t) => (
                <tr key={t.id}>
                  <td>{t.id}</td>
                  <td className="num">{fmt.number(t.records)}</td>
                  <td aria-hidden="true" style={{ width: '40%' }}>
                    <div style={{ height: 8, width: `${(t.records / most) * 100}%`, background: 'var(--accent, #2563eb)', borderRadius: 2 }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {plan.roundRobin > 0 && (
        <p className="muted">
          {fmt.count(plan.roundRobin, 'record')} without key or partition: spread round-robin over their topic's partitions (about evenly).
        </p>
      )}
      {plan.rejected.total > 0 && (
        <p data-testid="dry-run-rejected">
          A real run would reject {fmt.count(plan.rejected.total, 'record')}: {planRejections(plan)}.
        </p>
      )}
    </section>
  );
}
