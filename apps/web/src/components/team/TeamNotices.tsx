/** The team notices (80 % of a member's cap, 80 % of the team's budget) as sentences on the page. */
import { Alert } from '@bgr/ui';
import type { TeamNotice } from '~/lib/team-banners';
import styles from './team.module.css';

export function TeamNotices({ notices, spaced = false }: { notices: TeamNotice[]; spaced?: boolean }) {
  if (notices.length === 0) return null;
  return (
    <div className={styles.banners} style={spaced ? { marginBottom: 16 } : undefined} data-testid="team-notices">
      {notices.map((n) => (
        <Alert key={n.kind} tone={n.tone}>
          {n.sentence}
        </Alert>
      ))}
    </div>
  );
}
