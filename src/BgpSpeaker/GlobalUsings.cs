// The RIB's prefix key: the codec's compact value type (no IPAddress object per route).
global using RibPrefix = RoutedNet.BgpSpeaker.Wire.BgpPrefix;
