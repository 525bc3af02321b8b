module.exports = { ...require('../../jest.preset.js'), displayName: 'delivery-worker', rootDir: __dirname };
