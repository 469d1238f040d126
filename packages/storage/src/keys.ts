/**
 * Object keys, in one place. Everything belonging to one image lives in one folder, so retention
 * can delete it with one call; the folder is fixed when the original is stored.
 */
export const storageKeys = {
  newFolder: (userId: string, id: string) => `images/${userId}/${id}`,
  original: (folder: string) => `${folder}/original`,
  folderOf: (originalKey: string) => originalKey.slice(0, originalKey.lastIndexOf('/')),
  preview: (originalKey: string) => `${storageKeys.folderOf(originalKey)}/preview.png`,
  result: (originalKey: string, variant: string) => `${storageKeys.folderOf(originalKey)}/result-${variant}`,
};
