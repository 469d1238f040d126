import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="bgr-card" style={{ maxWidth: 520, margin: '6vh auto', textAlign: 'center' }}>
      <h1>Page not found</h1>
      <p className="bgr-muted">The page you are looking for does not exist or has moved.</p>
      <Link href="/">Back to removing backgrounds</Link>
    </div>
  );
}
