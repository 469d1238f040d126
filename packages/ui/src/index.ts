export { Button, type ButtonProps } from './Button';
export { Dialog, type DialogProps } from './Dialog';
export { DropZone, type DropZoneProps } from './DropZone';
export { Checkerboard } from './Checkerboard';
export { BeforeAfter, type BeforeAfterProps } from './BeforeAfter';
export { Spinner } from './Spinner';
export { Alert, type AlertProps } from './Alert';
export { Progress } from './Progress';
