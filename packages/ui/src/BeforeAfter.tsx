'use client';
import { useState } from 'react';
import { Checkerboard } from './Checkerboard';

export type BeforeAfterProps = {
  before: string;
  after: string;
  width: number;
  height: number;
  alt: string;
  /** Background colour behind the cut-out, or null for the checkerboard. */
  background?: string | null;
};

/**
 * The original on the left of the handle, the cut-out on the right. The handle is a real range
 * input, so it works with a mouse, touch and the arrow keys.
 */
export function BeforeAfter({ before, after, width, height, alt, background }: BeforeAfterProps) {
  const [pos, setPos] = useState(50);
  return (
    <div className="bgr-ba" style={{ aspectRatio: `${width} / ${height}` }}>
      <Checkerboard color={background} className="bgr-ba__layer">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={after}
          alt={`${alt} with the background removed`}
          className="bgr-ba__img"
          draggable={false}
          data-testid="preview-image"
        />
      </Checkerboard>
      <div className="bgr-ba__layer bgr-ba__before" style={{ clipPath: `inset(0 ${100 - pos}% 0 0)` }}>
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={before} alt={`${alt}, original`} className="bgr-ba__img" draggable={false} />
      </div>
      <div className="bgr-ba__handle" style={{ left: `${pos}%` }} aria-hidden="true">
        <span className="bgr-ba__knob">⟨⟩</span>
      </div>
      <span className="bgr-ba__tag bgr-ba__tag--before" aria-hidden="true">
        Original
      </span>
      <span className="bgr-ba__tag bgr-ba__tag--after" aria-hidden="true">
        Removed
      </span>
      <input
        className="bgr-ba__range"
        type="range"
        min={0}
        max={100}
        value={pos}
        onChange={(e) => setPos(Number(e.target.value))}
        aria-label="Compare original and result"
        aria-valuetext={`${pos}% original`}
      />
    </div>
  );
}
