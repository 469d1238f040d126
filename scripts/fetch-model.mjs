console.error("fetch-model: placeholder");
