using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using AtomicContext.Analyzers.Rules;
using AtomicContext.Analyzers.Summaries;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// The stores of the compilations that declare a given type, from the moment this is made until it is
    /// disposed (one test's compilations only: a store kept holds its compilation alive, so an observer that
    /// kept every store would keep every compilation of the test process).
    /// </summary>
    internal sealed class ObservedStores : IDisposable
    {
        private readonly ConcurrentBag<SummaryStore> _stores = new ConcurrentBag<SummaryStore>();
        private readonly Action<SummaryStore> _observe;

        public ObservedStores(string declaredType)
        {
            _observe = store =>
            {
                if (store.Compilation.GetTypeByMetadataName(declaredType) != null) _stores.Add(store);
            };
            AtomicContextAnalyzer.StoreObserver += _observe;
        }

        public IReadOnlyCollection<SummaryStore> All => _stores;

        public void Dispose() => AtomicContextAnalyzer.StoreObserver -= _observe;
    }
}
