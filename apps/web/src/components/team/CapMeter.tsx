/**
 * A member's team use this month against their monthly cap: a number and a bar, amber from 80 %
 * (the banner's threshold) and red when the cap is reached. Without a cap only the number shows.
 */
import { creditsNumber } from '../dashboard/format';
import { shareOf } from '~/lib/team-banners';
import styles from './team.module.css';

export function CapMeter({ usedUnits, capUnits }: { usedUnits: number; capUnits: number | null }) {
  if (capUnits === null) {
    return <span data-testid="cap-meter">{creditsNumber(usedUnits)} used · no cap</span>;
  }
  const share = shareOf(usedUnits, capUnits);
  const level = share >= 1 ? 'full' : share >= 0.8 ? 'high' : 'ok';
  return (
    <div className={styles.meter} data-testid="cap-meter">
      <span>
        {creditsNumber(usedUnits)} of {creditsNumber(capUnits)}
      </span>
      <div
        className={styles.meterBar}
        data-level={level}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={capUnits}
        aria-valuenow={Math.min(usedUnits, capUnits)}
        aria-label="Share of the monthly cap used"
      >
        <span style={{ width: `${Math.min(100, share * 100)}%` }} />
      </div>
    </div>
  );
}
