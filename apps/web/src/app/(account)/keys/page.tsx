import { permanentRedirect } from 'next/navigation';

/** A short address for the API keys page, which lives at /api-keys (where the header links). */
export default function KeysAlias() {
  permanentRedirect('/api-keys');
}
