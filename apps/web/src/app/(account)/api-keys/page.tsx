import { permanentRedirect } from 'next/navigation';

/** The header links here; the API keys page lives at /keys. */
export default function ApiKeysAlias() {
  permanentRedirect('/keys');
}
