// `npm test` runs every project's Jest suite in one Jest run (parallel workers).
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.js', '<rootDir>/libs/*/jest.config.js', '<rootDir>/libs/*/*/jest.config.js'],
};
