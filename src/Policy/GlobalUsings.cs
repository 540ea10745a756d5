// The selector engine lives in the Datastore (node selectors use it too); policy code speaks it everywhere.
global using RoutedNet.Datastore.Selectors;
