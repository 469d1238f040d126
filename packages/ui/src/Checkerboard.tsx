import type { CSSProperties, ReactNode } from 'react';

/** The transparency checkerboard; `color` paints a solid background instead (live preview). */
export function Checkerboard({
  color,
  children,
  className,
  style,
}: {
  color?: string | null;
  children: ReactNode;
  className?: string;
  style?: CSSProperties;
}) {
  return (
    <div
      className={['bgr-checkerboard', className].filter(Boolean).join(' ')}
      style={color ? { ...style, background: color } : style}
    >
      {children}
    </div>
  );
}
