package io.gnnnids.core.store;

class LocalColdStoreTest extends ColdStoreContract {
    @Override
    ObjectStore store() {
        return ObjectStores.open(dir.resolve("cold").toUri().toString());
    }
}
