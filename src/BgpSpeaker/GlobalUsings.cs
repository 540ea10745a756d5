// The RIB's prefix key. One alias so the key type is named in one place.
global using RibPrefix = System.Net.IPNetwork;
