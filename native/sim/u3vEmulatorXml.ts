// The GenICam device description the emulated camera serves from its manifest: standard feature names (SFNC)
// over plain registers, so a real GenApi consumer would read it too.
export const emulatorRegisters = {
  width: 0x100000,
  height: 0x100004,
  offsetX: 0x100008,
  offsetY: 0x10000c,
  pixelFormat: 0x100010,
  exposureTime: 0x100018, // float64, µs
  gain: 0x100020, // float64, dB
  acquisitionStart: 0x100028,
  acquisitionStop: 0x10002c,
  payloadSize: 0x100030,
  widthMax: 0x100034,
  heightMax: 0x100038,
  tlParamsLocked: 0x10003c,
} as const;

export function emulatorXml(sensorWidth: number, sensorHeight: number): string {
  const r = emulatorRegisters;
  const hex = (n: number) => `0x${n.toString(16)}`;
  const intReg = (name: string, address: number, access = 'RW') =>
    `  <IntReg Name="${name}"><Address>${hex(address)}</Address><Length>4</Length><AccessMode>${access}</AccessMode><pPort>Device</pPort><Sign>Unsigned</Sign><Endianess>LittleEndian</Endianess></IntReg>`;
  const floatReg = (name: string, address: number) =>
    `  <FloatReg Name="${name}"><Address>${hex(address)}</Address><Length>8</Length><AccessMode>RW</AccessMode><pPort>Device</pPort><Endianess>LittleEndian</Endianess></FloatReg>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<RegisterDescription ModelName="CBX-1024M" VendorName="Casebench" ToolTip="Emulated USB3 Vision microscope camera" StandardNameSpace="None" SchemaMajorVersion="1" SchemaMinorVersion="1" SchemaSubMinorVersion="0" MajorVersion="1" MinorVersion="0" SubMinorVersion="0" ProductGuid="7C5E1A52-0000-4000-8000-00000000CB01" VersionGuid="7C5E1A52-0000-4000-8000-00000000CB02" xmlns="http://www.genicam.org/GenApi/Version_1_1">
  <Category Name="Root" NameSpace="Standard"><pFeature>ImageFormatControl</pFeature><pFeature>AcquisitionControl</pFeature><pFeature>AnalogControl</pFeature></Category>
  <Integer Name="Width" NameSpace="Standard"><pValue>WidthReg</pValue><Min>16</Min><pMax>WidthMax</pMax><Inc>16</Inc></Integer>
  <Integer Name="Height" NameSpace="Standard"><pValue>HeightReg</pValue><Min>16</Min><pMax>HeightMax</pMax><Inc>2</Inc></Integer>
  <Integer Name="OffsetX" NameSpace="Standard"><pValue>OffsetXReg</pValue><Min>0</Min><Max>${sensorWidth - 16}</Max><Inc>16</Inc></Integer>
  <Integer Name="OffsetY" NameSpace="Standard"><pValue>OffsetYReg</pValue><Min>0</Min><Max>${sensorHeight - 2}</Max><Inc>2</Inc></Integer>
  <Integer Name="WidthMax" NameSpace="Standard"><pValue>WidthMaxReg</pValue></Integer>
  <Integer Name="HeightMax" NameSpace="Standard"><pValue>HeightMaxReg</pValue></Integer>
  <Integer Name="PayloadSize" NameSpace="Standard"><pValue>PayloadSizeReg</pValue></Integer>
  <Integer Name="TLParamsLocked" NameSpace="Standard"><pValue>TLParamsLockedReg</pValue><Min>0</Min><Max>1</Max></Integer>
  <Enumeration Name="PixelFormat" NameSpace="Standard">
    <EnumEntry Name="Mono8"><Value>${0x01080001}</Value></EnumEntry>
    <EnumEntry Name="Mono16"><Value>${0x01100007}</Value></EnumEntry>
    <pValue>PixelFormatReg</pValue>
  </Enumeration>
  <Float Name="ExposureTime" NameSpace="Standard"><pValue>ExposureTimeReg</pValue><Min>20</Min><Max>1000000</Max><Unit>us</Unit></Float>
  <Float Name="Gain" NameSpace="Standard"><pValue>GainReg</pValue><Min>0</Min><Max>24</Max><Unit>dB</Unit></Float>
  <Command Name="AcquisitionStart" NameSpace="Standard"><pValue>AcquisitionStartReg</pValue><CommandValue>1</CommandValue></Command>
  <Command Name="AcquisitionStop" NameSpace="Standard"><pValue>AcquisitionStopReg</pValue><CommandValue>1</CommandValue></Command>
${intReg('WidthReg', r.width)}
${intReg('HeightReg', r.height)}
${intReg('OffsetXReg', r.offsetX)}
${intReg('OffsetYReg', r.offsetY)}
${intReg('PixelFormatReg', r.pixelFormat)}
${floatReg('ExposureTimeReg', r.exposureTime)}
${floatReg('GainReg', r.gain)}
${intReg('AcquisitionStartReg', r.acquisitionStart, 'WO')}
${intReg('AcquisitionStopReg', r.acquisitionStop, 'WO')}
${intReg('PayloadSizeReg', r.payloadSize, 'RO')}
${intReg('WidthMaxReg', r.widthMax, 'RO')}
${intReg('HeightMaxReg', r.heightMax, 'RO')}
${intReg('TLParamsLockedReg', r.tlParamsLocked)}
  <Port Name="Device"/>
</RegisterDescription>
`;
}
