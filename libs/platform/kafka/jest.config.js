module.exports = { ...require('../../../jest.preset.js'), displayName: 'platform-kafka', rootDir: __dirname };
