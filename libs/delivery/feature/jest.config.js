module.exports = { ...require('../../../jest.preset.js'), displayName: 'delivery-feature', rootDir: __dirname };
