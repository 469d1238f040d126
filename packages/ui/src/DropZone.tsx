'use client';
import { useRef, useState, type ReactNode } from 'react';
import { Progress } from './Progress';

export type DropZoneProps = {
  onFile: (file: File) => void;
  /** With `multiple`: every file dropped or picked at once (onFile is then not called). */
  onFiles?: (files: File[]) => void;
  /** Accept several files at once (drop or pick). */
  multiple?: boolean;
  accept?: string;
  disabled?: boolean;
  /** 0..1 while uploading, null for "working, amount unknown", undefined when idle. */
  progress?: number | null;
  progressLabel?: string;
  title?: ReactNode;
  hint?: ReactNode;
};

/** Drop a file, or activate (click, Enter, Space) to pick one. */
export function DropZone({
  onFile,
  onFiles,
  multiple,
  accept = 'image/*',
  disabled,
  progress,
  progressLabel = 'Uploading',
  title,
  hint,
}: DropZoneProps) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const busy = progress !== undefined;
  const pick = () => !disabled && !busy && input.current?.click();
  const take = (list: ArrayLike<File>) => {
    const files = Array.from(list);
    if (files.length === 0) return;
    if (multiple && onFiles) onFiles(files);
    else onFile(files[0]!);
  };
  return (
    <div
      className={[
        'bgr-dropzone',
        over ? 'bgr-dropzone--over' : '',
        disabled || busy ? 'bgr-dropzone--disabled' : '',
      ].join(' ')}
      role="button"
      tabIndex={disabled || busy ? -1 : 0}
      aria-disabled={disabled || busy || undefined}
      aria-label="Upload an image: drop a file here or press to choose one"
      onClick={pick}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          pick();
        }
      }}
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled && !busy) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!disabled && !busy) take(e.dataTransfer.files);
      }}
    >
      <input
        ref={input}
        type="file"
        accept={accept}
        multiple={multiple}
        hidden
        data-testid="file-input"
        onChange={(e) => {
          // Copied first: clearing the value empties the FileList.
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          take(files);
        }}
      />
      {busy ? (
        <div className="bgr-dropzone__busy">
          <p className="bgr-dropzone__title">{progressLabel}</p>
          <Progress value={progress ?? null} label={progressLabel} />
        </div>
      ) : (
        <>
          <svg className="bgr-dropzone__icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
            <path
              fill="currentColor"
              d="M19 13v6H5v-6H3v6a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-6h-2Zm-6-.17 2.59-2.58L17 11.66 12 16.66l-5-5 1.41-1.41L11 12.83V3h2v9.83Z"
              transform="rotate(180 12 12)"
            />
          </svg>
          <p className="bgr-dropzone__title">{title ?? 'Drop an image here or click to choose'}</p>
          {hint ? <p className="bgr-dropzone__hint">{hint}</p> : null}
        </>
      )}
    </div>
  );
}
